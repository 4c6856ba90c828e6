import {
  createPartnerBodySchema,
  createTechnicianBodySchema,
  idParamsSchema,
  listPartnersQuerySchema,
  listTechniciansQuerySchema,
  NotFoundError,
  pageSchema,
  servicePartnerSchema,
  setTechnicianSkillBodySchema,
  skillParamsSchema,
  technicianSchema,
  updateTechnicianBodySchema,
} from '@aftercare/core';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { allow, principalOf } from '../http/authentication.ts';
import { technicianScope } from '../principal.ts';
import type { PartnerRepository } from '../repositories/partner-repository.ts';
import { errorResponses } from './error-responses.ts';
import { findVisibleTechnician } from './technician-access.ts';

export interface PartnerRoutesOptions {
  partners: PartnerRepository;
}

/** Service partners and their technicians. A technician sees its own record only. */
export const partnerRoutes: FastifyPluginAsyncZod<PartnerRoutesOptions> = async (app, { partners }) => {
  app.post(
    '/partners',
    {
      preValidation: allow('admin', 'planner'),
      schema: {
        tags: ['partners'],
        summary: 'Create a service partner: an authorised centre, a franchise or a mobile van',
        body: createPartnerBodySchema,
        response: { 201: servicePartnerSchema, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => reply.code(201).send(await partners.createPartner(request.body)),
  );

  app.get(
    '/partners',
    {
      preValidation: allow('admin', 'planner'),
      schema: {
        tags: ['partners'],
        summary: 'List service partners',
        querystring: listPartnersQuerySchema,
        response: { 200: pageSchema(servicePartnerSchema), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => partners.listPartners(request.query),
  );

  app.get(
    '/partners/:id',
    {
      preValidation: allow('admin', 'planner'),
      schema: {
        tags: ['partners'],
        summary: 'A service partner',
        params: idParamsSchema,
        response: { 200: servicePartnerSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const partner = await partners.getPartner(request.params.id);
      if (partner === null) throw new NotFoundError('partner', request.params.id);
      return partner;
    },
  );

  app.post(
    '/partners/:id/technicians',
    {
      preValidation: allow('admin', 'planner'),
      schema: {
        tags: ['partners'],
        summary: 'Add a technician to a partner, with skills and certifications',
        params: idParamsSchema,
        body: createTechnicianBodySchema,
        response: { 201: technicianSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await partners.createTechnician(request.params.id, request.body)),
  );

  app.get(
    '/technicians',
    {
      preValidation: allow('admin', 'planner', 'technician'),
      schema: {
        tags: ['partners'],
        summary: 'List technicians with their skills; a technician lists itself',
        querystring: listTechniciansQuerySchema,
        response: { 200: pageSchema(technicianSchema), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const own = technicianScope(principalOf(request));
      if (own === undefined) return partners.listTechnicians(request.query);
      const self = await partners.getTechnician(own);
      const items = self ? [self] : [];
      return { items, total: items.length, limit: request.query.limit, offset: request.query.offset };
    },
  );

  app.get(
    '/technicians/:id',
    {
      preValidation: allow('admin', 'planner', 'technician'),
      schema: {
        tags: ['partners'],
        summary: 'A technician with skills and certifications',
        params: idParamsSchema,
        response: { 200: technicianSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => findVisibleTechnician(partners, principalOf(request), request.params.id),
  );

  app.patch(
    '/technicians/:id',
    {
      preValidation: allow('admin', 'planner'),
      schema: {
        tags: ['partners'],
        summary: 'Change working hours, capacity, home base, or mark a technician unavailable',
        params: idParamsSchema,
        body: updateTechnicianBodySchema,
        response: { 200: technicianSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => partners.updateTechnician(request.params.id, request.body),
  );

  app.put(
    '/technicians/:id/skills/:skill',
    {
      preValidation: allow('admin', 'planner'),
      schema: {
        tags: ['partners'],
        summary: 'Give a technician a skill, with its certification and expiry (or none)',
        params: skillParamsSchema,
        body: setTechnicianSkillBodySchema,
        response: { 200: technicianSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => partners.setSkill(request.params.id, request.params.skill, request.body),
  );

  app.delete(
    '/technicians/:id/skills/:skill',
    {
      preValidation: allow('admin', 'planner'),
      schema: {
        tags: ['partners'],
        summary: 'Take a skill away from a technician',
        params: skillParamsSchema,
        response: { 200: technicianSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => partners.removeSkill(request.params.id, request.params.skill),
  );
};
